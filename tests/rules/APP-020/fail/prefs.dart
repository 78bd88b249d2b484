Future<void> keep(String pwd) async {
  final prefs = await SharedPreferences.getInstance();
  await prefs.setString('password', pwd);
}