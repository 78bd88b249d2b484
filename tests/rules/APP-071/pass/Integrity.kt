val manager = IntegrityManagerFactory.create(ctx)
val token = manager.requestIntegrityToken(IntegrityTokenRequest.builder().setNonce(nonce).build())