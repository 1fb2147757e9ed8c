internal import CLibSSH2
import Glibc
import TroxileiaCore

/// Logging in (gigavue-cli.md "Session" step 1): public key first when a key file is configured, then
/// the password, then keyboard-interactive answered with the password; each only when the server
/// offers it.
extension SSHSession {
    /// Authenticates `credentials.user`.
    /// - Throws: `.authenticationFailed` naming what was tried and what the server offers,
    ///   `.invalidConfiguration` when no credential is configured, or the session's errors.
    func authenticate(_ credentials: SSHCredentials, _ deadline: Deadline) throws(TapError) {
        let user = credentials.user
        let offered = try offeredMethods(user: user, deadline)
        if offered.isEmpty, libssh2_userauth_authenticated(handle) != 0 { return }  // "none" was accepted
        var tried: [String] = []
        if let keyFile = credentials.keyFile, offered.contains("publickey") {
            tried.append("publickey")
            if try attempt(deadline, {
                libssh2_userauth_publickey_fromfile_ex(handle, user, UInt32(user.utf8.count), nil, keyFile,
                                                       credentials.keyPassphrase?.revealed)
            }) { return }
        }
        if let password = credentials.password {
            if offered.contains("password") {
                tried.append("password")
                let secret = password.revealed
                if try attempt(deadline, {
                    libssh2_userauth_password_ex(handle, user, UInt32(user.utf8.count), secret, UInt32(secret.utf8.count), nil)
                }) { return }
            }
            if offered.contains("keyboard-interactive") {
                tried.append("keyboard-interactive")
                if try keyboardInteractive(user: user, password: password, deadline) { return }
            }
        }
        guard credentials.keyFile != nil || credentials.password != nil else {
            throw .invalidConfiguration("no tap credential: set --tap-password-file or --tap-key-file")
        }
        throw .authenticationFailed(user: user, tried: tried, offered: offered)
    }

    /// The methods the server offers (`userauth_list`); empty when it accepted "none".
    private func offeredMethods(user: String, _ deadline: Deadline) throws(TapError) -> [String] {
        while true {
            if let list = libssh2_userauth_list(handle, user, UInt32(user.utf8.count)) {
                return String(cString: list).split(separator: ",").map(String.init)
            }
            if libssh2_userauth_authenticated(handle) != 0 { return [] }
            let code = libssh2_session_last_errno(handle)
            guard code == LIBSSH2_ERROR_EAGAIN else { throw failure(deadline.stage, code: code) }
            try waitForSocket(deadline)
        }
    }

    /// Runs one authentication call: `true` when accepted, `false` when refused.
    private func attempt(_ deadline: Deadline, _ call: () -> Int32) throws(TapError) -> Bool {
        while true {
            let result = call()
            switch result {
            case 0: return true
            case LIBSSH2_ERROR_EAGAIN: try waitForSocket(deadline)
            case LIBSSH2_ERROR_AUTHENTICATION_FAILED, LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED, LIBSSH2_ERROR_FILE,
                 LIBSSH2_ERROR_METHOD_NOT_SUPPORTED:
                // A bad key file or passphrase is a refusal of this method: the next one may still work.
                return false
            default: throw failure(deadline.stage, code: result)
            }
        }
    }

    /// Keyboard-interactive: every prompt that asks for a password gets the password, others an empty
    /// answer. The password reaches the C callback through the session's abstract pointer for the
    /// length of the call only.
    private func keyboardInteractive(user: String, password: SecretText, _ deadline: Deadline) throws(TapError) -> Bool {
        let answer = KeyboardInteractiveAnswer(password: password)
        let abstract = libssh2_session_abstract(handle)
        let previous = abstract?.pointee
        abstract?.pointee = Unmanaged.passUnretained(answer).toOpaque()
        defer { abstract?.pointee = previous }
        return try withExtendedLifetime(answer) { () throws(TapError) -> Bool in
            try attempt(deadline) {
                libssh2_userauth_keyboard_interactive_ex(handle, user, UInt32(user.utf8.count), keyboardInteractiveResponder)
            }
        }
    }
}

/// The password for the keyboard-interactive callback (which gets no context but the session's
/// abstract pointer).
private final class KeyboardInteractiveAnswer {
    let password: SecretText
    init(password: SecretText) { self.password = password }
}

/// libssh2's keyboard-interactive callback. Answers are `malloc`ed: libssh2 frees them.
private let keyboardInteractiveResponder: @convention(c) (
    UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, Int32, Int32,
    UnsafePointer<LIBSSH2_USERAUTH_KBDINT_PROMPT>?, UnsafeMutablePointer<LIBSSH2_USERAUTH_KBDINT_RESPONSE>?,
    UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) -> Void = { _, _, _, _, count, prompts, responses, abstract in
    guard let responses, let context = abstract?.pointee else { return }
    let answer = Unmanaged<KeyboardInteractiveAnswer>.fromOpaque(context).takeUnretainedValue()
    for index in 0..<Int(max(count, 0)) {
        var asksPassword = false
        if let prompt = prompts?[index], let text = prompt.text {
            let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self),
                                            count: Int(prompt.length))
            asksPassword = String(decoding: bytes, as: UTF8.self).lowercased().contains("password")
        }
        let value = asksPassword ? answer.password.revealed : ""
        responses[index].text = strdup(value)
        responses[index].length = UInt32(value.utf8.count)
    }
}
