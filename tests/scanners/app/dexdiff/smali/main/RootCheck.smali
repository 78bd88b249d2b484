.class public Lcom/example/vault/RootCheck;
.super Ljava/lang/Object;
.source "RootCheck.java"

.method public static hasSu()Z
    .registers 7
    .line 8
    const-string v0, "PATH"
    invoke-static {v0}, Ljava/lang/System;->getenv(Ljava/lang/String;)Ljava/lang/String;
    move-result-object v0
    const-string v1, ":"
    invoke-virtual {v0, v1}, Ljava/lang/String;->split(Ljava/lang/String;)[Ljava/lang/String;
    move-result-object v0
    array-length v1, v0
    const/4 v2, 0x0
    :goto_0
    if-ge v2, v1, :cond_1
    aget-object v3, v0, v2
    .line 9
    new-instance v4, Ljava/io/File;
    const-string v5, "su"
    invoke-direct {v4, v3, v5}, Ljava/io/File;-><init>(Ljava/lang/String;Ljava/lang/String;)V
    invoke-virtual {v4}, Ljava/io/File;->exists()Z
    move-result v4
    if-eqz v4, :cond_0
    const/4 v0, 0x1
    return v0
    :cond_0
    add-int/lit8 v2, v2, 0x1
    goto :goto_0
    :cond_1
    .line 11
    const/4 v0, 0x0
    return v0
.end method
