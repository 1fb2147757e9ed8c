import TroxileiaCore

/// What a session logs in with, read from the secret files just before connecting (DESIGN.md:
/// "Secrets are files only, re-read when they change"). Never printed: the secrets are `SecretText`.
struct SSHCredentials: Sendable {
    /// The account (`--tap-user`, default `admin`).
    var user: String
    /// For password and keyboard-interactive authentication.
    var password: SecretText?
    /// A private key file (`--tap-key-file`), tried first when the server offers public keys.
    var keyFile: String?
    /// The key's passphrase, if it has one.
    var keyPassphrase: SecretText?
}
