/// The release version, for `troxileia version`, the User-Agent and the status ConfigMap.
public enum TroxileiaVersion {
    /// Semantic version of this source tree.
    public static let current = "0.1.0"
}
