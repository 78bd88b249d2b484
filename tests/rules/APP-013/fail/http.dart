HttpClient client = HttpClient()
  ..badCertificateCallback = (X509Certificate cert, String host, int port) => true;