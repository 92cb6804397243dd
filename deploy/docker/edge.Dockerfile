# collabvlm-edge: hosts simulated cameras (`serve --devices M`, Simulation settings) or answers one `ask`.
#   docker build -f deploy/docker/edge.Dockerfile -t collabvlm-edge .
# Not built here (no Docker engine in this project's sandbox).
# Base images are build arguments without defaults (this repository names no registry host):
#   --build-arg SDK_IMAGE=<Microsoft's .NET SDK 10.0 image> --build-arg RUNTIME_IMAGE=<Microsoft's ASP.NET Core 10.0 runtime image>
ARG SDK_IMAGE
ARG RUNTIME_IMAGE

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
ENV COLLABVLM_Cluster__Hostname=0.0.0.0 \
    COLLABVLM_Http__Hostname=0.0.0.0
EXPOSE 4053 8558 9465
# Non-root: 1654 is the "app" user of Microsoft's .NET images (numeric, so Kubernetes can verify runAsNonRoot).
USER 1654
ENTRYPOINT ["dotnet", "collabvlm-edge.dll"]
CMD ["serve", "--devices", "1"]
