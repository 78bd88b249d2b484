fun login(user: String, accessToken: String) {
    Log.i("Auth", "login $user with ${accessToken}")
}
