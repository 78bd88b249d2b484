class Loader {
    void load(Context ctx) {
        File f = new File(ctx.getFilesDir(), "plugin.dex");
        verifySignature(f);
        DexClassLoader cl = new DexClassLoader(f.getPath(), ctx.getCodeCacheDir().getPath(), null, getClass().getClassLoader());
    }
}