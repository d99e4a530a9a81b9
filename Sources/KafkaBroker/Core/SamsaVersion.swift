/// Samsa's version, as the console and `samsa_broker_info` report it.
public enum SamsaVersion {
    public static let current = "0.1.0"
}
