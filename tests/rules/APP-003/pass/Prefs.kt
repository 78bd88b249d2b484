object Prefs {
    const val KEY_TOKEN = "user_token"
    const val PASSWORD_FIELD = "login_password_field"
    val secret = BuildConfig.API_SECRET
}