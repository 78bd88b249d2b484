let passwordField = UITextField()
passwordField.isSecureTextEntry = true
