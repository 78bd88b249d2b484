class ClientCert {
    static final String KEY = "-----BEGIN RSA PRIVATE KEY-----\n" +
        "MIIEowIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi8qPbQzKzM0QxLrFq2nT7vVxY5\n" +
        "-----END RSA PRIVATE KEY-----";
}