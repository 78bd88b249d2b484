func remember(_ password: String) {
    UserDefaults.standard.set(password, forKey: "userPassword")
}