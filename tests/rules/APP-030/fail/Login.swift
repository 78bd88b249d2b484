func login(idNumber: String) {
    print("login with idNumber \(idNumber)")
}