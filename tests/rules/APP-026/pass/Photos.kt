fun savePhoto(ctx: Context, bitmap: Bitmap) {
    val dir = ctx.getExternalFilesDir(Environment.DIRECTORY_PICTURES)
    FileOutputStream(File(dir, "chart.png")).use { bitmap.compress(Bitmap.CompressFormat.PNG, 90, it) }
}
