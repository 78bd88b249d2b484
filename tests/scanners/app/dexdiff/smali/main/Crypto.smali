.class public final Lcom/example/vault/Crypto;
.super Ljava/lang/Object;
.source "Crypto.java"

# A release-style helper: the key arrives as a parameter, the transformation names ECB.

.method public constructor <init>()V
    .registers 1
    .line 9
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static decrypt([B[B)[B
    .registers 5
    .param p0, "key"    # [B
    .param p1, "data"    # [B
    .line 13
    new-instance v0, Ljavax/crypto/spec/SecretKeySpec;
    const-string v1, "AES/ECB/PKCS7Padding"
    invoke-direct {v0, p0, v1}, Ljavax/crypto/spec/SecretKeySpec;-><init>([BLjava/lang/String;)V
    .line 14
    const-string v1, "AES"
    invoke-static {v1}, Ljavax/crypto/Cipher;->getInstance(Ljava/lang/String;)Ljavax/crypto/Cipher;
    move-result-object v1
    .line 15
    const/4 v2, 0x2
    invoke-virtual {v1, v2, v0}, Ljavax/crypto/Cipher;->init(ILjava/security/Key;)V
    .line 16
    invoke-virtual {v1, p1}, Ljavax/crypto/Cipher;->doFinal([B)[B
    move-result-object v0
    return-object v0
.end method
