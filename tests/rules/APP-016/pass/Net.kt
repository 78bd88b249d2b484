val pinner = CertificatePinner.Builder()
    .add("api.broker-example.com.tw", "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
    .build()