# collabvlm-edge: hosts simulated cameras (`serve --devices M`, Simulation settings) or answers one `ask`.
#   docker build -f deploy/docker/edge.Dockerfile -t collabvlm-edge .
# Not built here (no Docker engine in this project's sandbox).
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0

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
USER app
ENTRYPOINT ["dotnet", "collabvlm-edge.dll"]
CMD ["serve", "--devices", "1"]
