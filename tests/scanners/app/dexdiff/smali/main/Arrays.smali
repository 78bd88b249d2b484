.class public Lcom/example/vault/Arrays;
.super Ljava/lang/Object;
.source "Arrays.java"

.field public ba:[B
.field public sa:[Ljava/lang/String;
.field public static final LABEL:Ljava/lang/String; = "金庫 🔑 vault"

.method public someArrays()V
    .registers 5
    .line 12
    const/4 v0, 0x4
    new-array v0, v0, [B
    fill-array-data v0, :array_0
    iput-object v0, p0, Lcom/example/vault/Arrays;->ba:[B
    .line 13
    const-string v1, "hello"
    const-string v2, "world"
    filled-new-array {v1, v2}, [Ljava/lang/String;
    move-result-object v0
    check-cast v0, [Ljava/lang/String;
    iput-object v0, p0, Lcom/example/vault/Arrays;->sa:[Ljava/lang/String;
    return-void
    :array_0
    .array-data 1
        0x14t
        0x1et
        0x28t
        0x32t
    .end array-data
.end method

.method public static classify(I)Ljava/lang/String;
    .registers 2
    packed-switch p0, :pswitch_data_0
    sparse-switch p0, :sswitch_data_0
    const-string v0, "other"
    return-object v0
    :pswitch_0
    const-string v0, "zero"
    return-object v0
    :pswitch_1
    const-string v0, "one"
    return-object v0
    :sswitch_0
    const-string v0, "密碼\u0000nul"
    return-object v0
    :pswitch_data_0
    .packed-switch 0x0
        :pswitch_0
        :pswitch_1
    .end packed-switch
    :sswitch_data_0
    .sparse-switch
        0x64 -> :sswitch_0
        0x3e8 -> :sswitch_0
    .end sparse-switch
.end method
