import ArgumentParser
import Foundation
import KubeAPI
import KubeStandIn
import Logging
import HTTPServerCore

/// `troxileia-standin`: the Kubernetes API stand-in as a process, for the demo and benchmarks.
/// Logs `{"msg":"listening","port":N}` on stderr once bound; SIGTERM or SIGINT stops it.
@main
struct StandInCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "troxileia-standin",
        abstract: "Serve an in-memory Kubernetes API (nodes, pods, events, leases) for demos and benchmarks.")

    @Option(help: "Address to listen on, host:port (port 0 picks a free one).")
    var listen = "127.0.0.1:0"
    @Option(help: "Serving certificate (PEM); with --tls-key-file serves HTTPS.")
    var tlsCertFile: String?
    @Option(help: "Private key of the serving certificate (PEM).")
    var tlsKeyFile: String?
    @Option(help: "Require client certificates signed by this CA (PEM), like kube-apiserver's --client-ca-file.")
    var clientCAFile: String?
    @Option(help: "Nodes to load: a NodeList or kubectl List JSON file.")
    var nodesFile: String?
    @Option(help: "Pods to load: a PodList JSON file.")
    var podsFile: String?
    @Option(help: "Validating webhook URL called on Node CREATE and UPDATE; repeat it for several replicas.")
    var webhookURL: [String] = []
    @Option(help: "How calls spread over several webhook URLs: round-robin or random.")
    var webhookSpread: KubeStandIn.WebhookSettings.Spread = .roundRobin
    @Option(help: "CA bundle (PEM) that signs the webhook's certificate.")
    var webhookCAFile: String?
    @Option(help: "Time between watch bookmarks, e.g. 60s, 500ms.")
    var bookmarkInterval = "60s"
    @Option(help: "Require this bearer token on API requests.")
    var token: String?

    func run() async throws {
        var settings = KubeStandIn.Configuration()
        settings.listen = try ListenAddress(listen)
        settings.eventLoopCount = 2
        settings.bearerToken = token
        guard let interval = Self.duration(bookmarkInterval) else {
            throw ValidationError("--bookmark-interval must look like 60s or 500ms")
        }
        settings.bookmarkInterval = interval
        switch (tlsCertFile, tlsKeyFile) {
        case (let certificate?, let key?):
            settings.tls = try CertificateStore(certificateFile: certificate, keyFile: key, clientCAFile: clientCAFile)
        case (nil, nil):
            if clientCAFile != nil { throw ValidationError("--client-ca-file needs --tls-cert-file and --tls-key-file") }
        default: throw ValidationError("--tls-cert-file and --tls-key-file go together")
        }
        if !webhookURL.isEmpty {
            settings.webhook = .init(urls: webhookURL, spread: webhookSpread, certificateAuthority: webhookCAFile.map { .file($0) })
        }
        var logger = Logger(label: "troxileia-standin")
        logger.logLevel = .info
        let standIn = try KubeStandIn(configuration: settings, logger: logger)
        if let nodesFile { try standIn.load(.nodes, document: Array(try Data(contentsOf: URL(fileURLWithPath: nodesFile)))) }
        if let podsFile { try standIn.load(.pods, document: Array(try Data(contentsOf: URL(fileURLWithPath: podsFile)))) }
        let port = try standIn.start()
        FileHandle.standardError.write(Data("{\"msg\":\"listening\",\"port\":\(port)}\n".utf8))
        await Self.waitForSignal()
        await standIn.shutdown()
    }

    /// `60s`, `500ms`, `2m`.
    static func duration(_ text: String) -> Duration? {
        for (suffix, scale) in [("ms", 1), ("s", 1000), ("m", 60_000)] where text.hasSuffix(suffix) {
            if let value = Int(text.dropLast(suffix.count)), value > 0 { return .milliseconds(value * scale) }
        }
        return nil
    }

    /// Returns when SIGTERM or SIGINT arrives.
    private static func waitForSignal() async {
        signal(SIGTERM, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let once = SignalOnce(continuation)
            for number in [SIGTERM, SIGINT] {
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { once.fire() }
                source.resume()
                once.keep(source)
            }
        }
    }
}

extension KubeStandIn.WebhookSettings.Spread: ExpressibleByArgument {}
