let query: [String: Any] = [
    kSecClass as String: kSecClassGenericPassword,
    kSecAttrAccessible as String: kSecAttrAccessibleAlways,
    kSecValueData as String: token.data(using: .utf8)!,
]
