import Testing
import KubeAPI

/// `CertificateSource` never shows PEM bytes (a client key is a secret).
@Suite struct CertificateSourceTests {
    @Test func describesAFileByPathAndPEMByLengthOnly() {
        let key = Array("-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n".utf8)
        #expect("\(CertificateSource.file("/etc/kubernetes/ca.crt"))" == "file /etc/kubernetes/ca.crt")
        #expect("\(CertificateSource.pem(key))" == "PEM (\(key.count) bytes)")
        #expect(!"\(CertificateSource.pem(key))".contains("PRIVATE"))
    }
}
