# `speechstream` as one Native AOT binary on .NET's chiseled Ubuntu base: the image the README's Kubernetes Job runs.
#
#   docker build -t <registry>/speechstream:0.1.0 .
#   docker push <registry>/speechstream:0.1.0
#   docker buildx build --platform linux/amd64,linux/arm64 -t <registry>/speechstream:0.1.0 --push .
#
# The image's filesystem is checked without a container runtime by tests/container/rootfs-test.sh: it assembles the
# same files from Debian packages with mmdebstrap, puts the binary where the COPY below puts it, and runs the main job
# there with chroot as UID 1654. It also checks this file says FROM runtime-deps chiseled, USER 1654 and
# ENTRYPOINT ["speechstream"].

# ---- build: the SDK image plus the Native AOT toolchain (clang links; zlib1g-dev per the Native AOT prerequisites).
# The stage runs on the target platform (no --platform=$BUILDPLATFORM): Native AOT does not cross-compile without a
# target sysroot, so an arm64 image is built on an arm64 builder or under emulation.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends clang zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
# TARGETARCH (amd64, arm64) is set by BuildKit and newer podman/buildah; older ones leave it empty, and then the
# build stage's own architecture (dpkg) stands in. The .NET RID follows it.
ARG TARGETARCH
RUN case "${TARGETARCH:-$(dpkg --print-architecture)}" in \
        amd64) echo linux-x64 ;; \
        arm64) echo linux-arm64 ;; \
        *) echo "speechstream: no Native AOT RID for TARGETARCH=$TARGETARCH" >&2; exit 1 ;; \
    esac > /rid
WORKDIR /src
# Restore from the project files alone first, so a source change does not download the packages again.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/SpeechStream.Engine/SpeechStream.Engine.csproj src/SpeechStream.Engine/
COPY src/SpeechStream.Emulator/SpeechStream.Emulator.csproj src/SpeechStream.Emulator/
COPY src/SpeechStream.Cli/SpeechStream.Cli.csproj src/SpeechStream.Cli/
RUN dotnet restore src/SpeechStream.Cli -r "$(cat /rid)" -p:PublishAot=true
COPY src/SpeechStream.Engine/ src/SpeechStream.Engine/
COPY src/SpeechStream.Emulator/ src/SpeechStream.Emulator/
COPY src/SpeechStream.Cli/ src/SpeechStream.Cli/
RUN dotnet publish src/SpeechStream.Cli -c Release -r "$(cat /rid)" -p:PublishAot=true --no-restore -o /app \
    && test -x /app/speechstream

# ---- final: runtime-deps chiseled (Ubuntu 24.04), the official distroless base for self-contained and AOT apps.
# What it holds (dotnet/dotnet-docker, src/runtime-deps/10.0/noble-chiseled/amd64/Dockerfile), the chisel slices:
#   base-files_base, base-files_chisel, base-files_release-info, ca-certificates_data,
#   libc6_libs, libgcc-s1_libs, libssl3t64_libs, libstdc++6_libs
# (ca-certificates_data is the one bundle /etc/ssl/certs/ca-certificates.crt and brings openssl_data, the
# /usr/lib/ssl/cert.pem link to it; canonical/chisel-releases, slices/ca-certificates.yaml and openssl.yaml),
# plus /etc/passwd and /etc/group with root and app (UID/GID 1654), /home/app owned by app, and
#   ENV APP_UID=1654 ASPNETCORE_HTTP_PORTS=8080 DOTNET_RUNNING_IN_CONTAINER=true DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true
#   USER $APP_UID
# No shell, no package manager, no zlib (.NET 9+ carries its own), no tzdata (times are UTC) and no ICU: ICU and
# tzdata come only with the -extra variant. The AOT binary's own NEEDED libraries are libc, libm and ld-linux (libc6);
# it loads libssl.so.3/libcrypto.so.3 at run time (TLS, hashing, random numbers). It does not need ICU while
# globalization is invariant, which the base's DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true makes it (restated below,
# so the image does not depend on the base keeping it).
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled
ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true
COPY --from=build /app/speechstream /usr/local/bin/speechstream
# 1654 is $APP_UID, the base's non-root user `app`; numeric, so Kubernetes' runAsNonRoot can verify it.
USER 1654
WORKDIR /home/app
ENTRYPOINT ["speechstream"]
CMD ["--help"]
