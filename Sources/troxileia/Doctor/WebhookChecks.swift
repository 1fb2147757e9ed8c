import FoundationEssentials
import HTTPServerCore
import Webhook

/// The webhook half of `doctor`: the certificate at the URL kube-apiserver calls, checked against the
/// CA bundle and the host name, and its remaining validity.
enum WebhookChecks {
    static func run(url: String, caFile: String, warnWithin: Duration, report: (DoctorCheck) -> Void) async {
        guard let components = URLComponents(string: url), components.scheme == "https", let host = components.host else {
            report(.fail("webhook certificate", "\(url) is not an https URL", hint: "pass the URL of the webhook configuration"))
            return
        }
        let port = components.port ?? 443
        do {
            let certificate = try await TLSPeerCertificate.fetch(host: host, port: port, caFile: caFile)
            let left = Double(certificate.expiresAt) - Date().timeIntervalSince1970
            let days = Int(left / 86_400)
            let warnSeconds = Double(warnWithin.components.seconds)
            if left < warnSeconds {
                report(.warn("webhook certificate", "valid for \(host), but expires in \(days) day(s)",
                             hint: "rotate it (cert-manager renews by itself; certs/make-certs.sh --reuse-ca for the others)"))
            } else {
                report(.pass("webhook certificate", "valid for \(host), signed by \(caFile), \(days) day(s) left"))
            }
        } catch {
            report(.fail("webhook certificate", "\(error)",
                         hint: "the CA bundle must sign the serving certificate, whose SANs must hold \(host)"))
        }
    }
}
