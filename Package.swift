// swift-tools-version:6.1
// Troxileia: keeps a GigaVUE GigaStream equal to the tap ports of healthy sensor nodes,
// and validates Node labels at admission time. Module layout: ../shared/DESIGN.md "Modules".
import PackageDescription

// Troxileia runs on Linux only: its servers are built on epoll and eventfd (CLinuxShims), and the
// image and CI are Debian. Say so at once rather than fail later on a missing header elsewhere.
#if !os(Linux)
#error("Troxileia builds and runs on Linux only (epoll, eventfd, glibc)")
#endif

let package = Package(
    name: "troxileia",
    products: [
        .executable(name: "troxileia", targets: ["troxileia"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.6.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
    ],
    targets: [
        // C libraries: module maps only (one per library), resolved through pkg-config.
        .systemLibrary(
            name: "CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CLibSSH2", pkgConfig: "libssh2",
            providers: [.apt(["libssh2-1-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL", pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CYAML", pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // Logic-free C wrappers for the macros and variadic functions Swift cannot call: one shim
        // target per library, so each module compiles against only the C it uses (DESIGN.md).
        .target(name: "CCurlShims", dependencies: ["CCurl"]),
        .target(name: "CLibSSH2Shims", dependencies: ["CLibSSH2"]),
        .target(name: "COpenSSLShims", dependencies: ["COpenSSL"]),
        // Linux syscalls the Glibc module does not export: epoll and eventfd.
        .target(name: "CLinuxShims"),
        // Detached pthreads for blocking work off the Swift concurrency pool (Foundation's Thread
        // without full Foundation: the binary imports FoundationEssentials only, issue 14).
        .target(name: "NativeThread", dependencies: ["CLinuxShims"]),

        // YAML as a stream of events over libyaml, bounded in size, depth and aliases, with a small
        // tree builder for small documents (kubeconfig). No Foundation (issue 14).
        .target(name: "YAMLEvents", dependencies: ["CYAML"]),

        // Pure domain: tap port grammar, label reading, port index, admission decisions, sensor set.
        .target(name: "TroxileiaCore"),

        // HTTP/1.1 server: TLS over OpenSSL, request parsing, epoll event loops, limits and timers,
        // streamed and deferred responses. Knows nothing of admission; the webhook and the API
        // stand-in both build on it.
        .target(
            name: "HTTPServerCore",
            dependencies: [
                "COpenSSL", "COpenSSLShims", "CLinuxShims", "NativeThread",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The admission webhook on HTTPServerCore: routes, AdmissionReview codec, port
        // reservations, certificate reload, probes and metrics, graceful shutdown.
        .target(
            name: "Webhook",
            dependencies: [
                "TroxileiaCore", "HTTPServerCore", "NativeThread",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // Kubernetes REST client on libcurl: config and auth, list + watch reflector, events, leases.
        .target(
            name: "KubeAPI",
            dependencies: [
                "TroxileiaCore", "CCurl", "CCurlShims", "NativeThread",
                "YAMLEvents",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // GigaVUE tap: SSH session (libssh2), CLI dialog, the reconfiguration plan, show parsing.
        .target(
            name: "GigaVUE",
            dependencies: [
                "TroxileiaCore", "CLibSSH2", "CLibSSH2Shims", "CLinuxShims", "NativeThread",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Reconciler: desired sensor set from nodes and pod health, debounced single-flight pushes,
        // leader gating, events, status and metrics.
        .target(
            name: "Reconciler",
            dependencies: [
                "TroxileiaCore", "KubeAPI", "GigaVUE",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // Kubernetes API stand-in for tests, the demo and benchmarks (not part of the binary).
        .target(
            name: "KubeStandIn",
            dependencies: [
                "HTTPServerCore", "KubeAPI", "TroxileiaCore", "CZlib",
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["README.md"]
        ),
        // Starts and controls the GigaVUE simulator (Tests/GigaVUESimulator) for tests, benchmark and demo.
        .target(name: "GigaVUESimulatorHarness"),
        .executableTarget(
            name: "troxileia-standin",
            dependencies: [
                "KubeStandIn", "HTTPServerCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "troxileia-tap-bench",
            dependencies: ["GigaVUE", "GigaVUESimulatorHarness", "TroxileiaCore", .product(name: "Logging", package: "swift-log")]
        ),
        .executableTarget(name: "troxileia-state-bench", dependencies: ["TroxileiaCore"]),
        .executableTarget(name: "troxileia-kube-bench", dependencies: ["KubeAPI", "TroxileiaCore", .product(name: "Logging", package: "swift-log")]),

        .executableTarget(
            name: "troxileia",
            dependencies: [
                "TroxileiaCore", "HTTPServerCore", "Webhook", "GigaVUE", "Reconciler", "KubeAPI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                "YAMLEvents",
            ],
            plugins: ["BuildInfoPlugin"]
        ),
        // Stamps the git commit into the binary for `troxileia version`.
        .plugin(name: "BuildInfoPlugin", capability: .buildTool()),

        // libFuzzer target for the HTTP parser and the AdmissionReview decoder (`make fuzz`, which
        // alone sets -D FUZZING); a normal build makes it a replay tool. See Tests/Fuzz/README.md.
        .executableTarget(name: "troxileia-fuzz", dependencies: ["FuzzSupport", "HTTPServerCore", "Webhook", "TroxileiaCore"]),
        // What the fuzz targets share: libFuzzer's callback body and the replay loop.
        .target(name: "FuzzSupport"),
        // libFuzzer target for the AdmissionReview path alone: each input is a /validate body, run
        // through the decoder and the whole admission handler (`make fuzz` runs both targets).
        .executableTarget(
            name: "troxileia-fuzz-review",
            dependencies: ["FuzzSupport", "HTTPServerCore", "Webhook", "TroxileiaCore", .product(name: "Logging", package: "swift-log")]
        ),

        .testTarget(
            name: "TroxileiaCoreTests",
            dependencies: [
                "TroxileiaCore",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Fixtures"]
        ),
        // Test support shared by test targets: certificates from certs/make-certs.sh, a blocking TLS
        // client, a log recorder.
        .target(name: "TestSupport", dependencies: ["COpenSSL", "COpenSSLShims", .product(name: "Logging", package: "swift-log")],
                path: "Tests/Support"),
        .testTarget(
            name: "HTTPServerCoreTests",
            dependencies: [
                "HTTPServerCore", "CLinuxShims", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["HTTP/Fixtures"]
        ),
        .testTarget(
            name: "WebhookTests",
            dependencies: ["Webhook", "HTTPServerCore", "TroxileiaCore", "TestSupport"],
            exclude: ["Admission/Fixtures"]
        ),
        .testTarget(name: "YAMLEventsTests", dependencies: ["YAMLEvents"]),
        .testTarget(
            name: "KubeAPITests",
            dependencies: ["KubeAPI", "TroxileiaCore", "HTTPServerCore", "KubeStandIn", "TestSupport"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "KubeStandInTests",
            // troxileia-standin: the process tests run the built binary (depending on it builds it).
            dependencies: ["KubeStandIn", "KubeAPI", "TroxileiaCore", "HTTPServerCore", "Webhook", "TestSupport", "troxileia-standin"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "GigaVUETests",
            dependencies: ["GigaVUE", "TroxileiaCore", "GigaVUESimulatorHarness", "TestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "ReconcilerTests",
            dependencies: ["Reconciler", "TroxileiaCore", "GigaVUE", "KubeAPI", "KubeStandIn", .product(name: "Logging", package: "swift-log"),
                           .product(name: "Prometheus", package: "swift-prometheus")]
        ),
        .testTarget(name: "CShimsTests", dependencies: ["CCurl", "CCurlShims", "CLibSSH2", "CLibSSH2Shims", "COpenSSL", "COpenSSLShims", "CLinuxShims"]),
        // Runs the built binary as a process; depending on the target makes `swift test` build it.
        .testTarget(name: "troxileiaTests", dependencies: ["troxileia", "TestSupport"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
