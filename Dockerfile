# syntax=docker/dockerfile:1
# Troxileia's image: a release binary with the Swift runtime linked in statically, on slim Debian
# with only the C libraries it links (libcurl, libssh2, OpenSSL, libyaml) and the CA certificates.
#
#   docker build -t registry.example.com/troxileia:0.1.0 .
#
# No Docker engine runs on the project's machines: `make image-check` (Tests/Chart/check-image-libs.sh)
# checks instead that the binary's shared libraries are exactly what the runtime stage installs.
# `make image-rootfs` (Tests/Image/) builds this runtime stage's root filesystem and runs the binary in it.
# Both stages are Debian 12 (bookworm), so the libraries the build links against are the ones the
# runtime installs. Keep SWIFT_IMAGE on the toolchain the project is tested with.
ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${SWIFT_IMAGE} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libcurl4-openssl-dev libssh2-1-dev libssl-dev libyaml-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The whole tree, .git included: the build stamps the commit into `troxileia version`.
COPY . .
# --static-swift-stdlib: the Swift runtime and FoundationEssentials go into the binary, so the runtime
# stage needs no Swift toolchain libraries. The cache mount keeps .build between image builds
# (BuildKit); the binary is copied out in the same step. strip: 43 MB → 20 MB without ICU (92 → 63 MB
# while a dependency, Yams, linked full Foundation and its ICU data).
RUN --mount=type=cache,target=/src/.build \
    swift build -c release --product troxileia --static-swift-stdlib \
 && install -D -m 0755 "$(swift build -c release --static-swift-stdlib --show-bin-path)/troxileia" /out/troxileia \
 && strip /out/troxileia \
 && /out/troxileia version

FROM ${RUNTIME_IMAGE}
# Exactly the libraries the binary links (readelf NEEDED), by Debian package; their own
# dependencies come with them. ca-certificates: libcurl verifies the apiserver with the service
# account's CA, but a kubeconfig pointing elsewhere needs the system bundle.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libcurl4 libssh2-1 libssl3 libyaml-0-2 ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/troxileia /usr/local/bin/troxileia
# A numeric non-root user, so Kubernetes can check runAsNonRoot without a passwd entry.
USER 65532:65532
# The webhook (TLS) and the probes (/healthz, /readyz, /metrics).
EXPOSE 8443 8081
# Exec form: no shell is involved in starting or stopping it (SIGTERM reaches troxileia).
ENTRYPOINT ["/usr/local/bin/troxileia"]
CMD ["run"]
