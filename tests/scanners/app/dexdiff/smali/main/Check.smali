.class public Lcom/example/vault/Check;
.super Ljava/lang/Object;
.source "Check.java"

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static hexToBytes(Ljava/lang/String;)[B
    .registers 2
    .line 30
    invoke-virtual {p0}, Ljava/lang/String;->getBytes()[B
    move-result-object v0
    return-object v0
.end method

.method public static verify(Ljava/lang/String;)Z
    .registers 6
    .param p0, "entered"    # Ljava/lang/String;
    .line 20
    :try_start_0
    const-string v0, "3f1a9c07d2b84e6aa1c55e0f9d2b7c41"
    invoke-static {v0}, Lcom/example/vault/Check;->hexToBytes(Ljava/lang/String;)[B
    move-result-object v0
    const-string v1, "q8ZtY3xW0bN2mP5rK7vL1c=="
    const/4 v2, 0x0
    invoke-static {v1, v2}, Landroid/util/Base64;->decode(Ljava/lang/String;I)[B
    move-result-object v1
    invoke-static {v0, v1}, Lcom/example/vault/Crypto;->decrypt([B[B)[B
    move-result-object v0
    .line 21
    new-instance v1, Ljava/lang/String;
    invoke-direct {v1, v0}, Ljava/lang/String;-><init>([B)V
    invoke-virtual {p0, v1}, Ljava/lang/String;->equals(Ljava/lang/Object;)Z
    move-result v0
    :try_end_0
    .catch Ljava/lang/Exception; {:try_start_0 .. :try_end_0} :catch_0
    return v0
    :catch_0
    move-exception v0
    .line 23
    new-instance v1, Ljava/lang/StringBuilder;
    invoke-direct {v1}, Ljava/lang/StringBuilder;-><init>()V
    const-string v2, "AES error:"
    invoke-virtual {v1, v2}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;
    invoke-virtual {v0}, Ljava/lang/Exception;->getMessage()Ljava/lang/String;
    move-result-object v2
    invoke-virtual {v1, v2}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;
    invoke-virtual {v1}, Ljava/lang/StringBuilder;->toString()Ljava/lang/String;
    move-result-object v1
    const-string v2, "CodeCheck"
    invoke-static {v2, v1}, Landroid/util/Log;->d(Ljava/lang/String;Ljava/lang/String;)I
    .line 24
    const/4 v0, 0x0
    return v0
.end method
