fun backup(ctx: Context, token: String) {
    File(ctx.getExternalFilesDir(null), "token.txt").writeText(token)
}
