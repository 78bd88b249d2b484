class Loader {
    void load(Context ctx) {
        String path = Environment.getExternalStorageDirectory() + "/plugin.dex";
        DexClassLoader cl = new DexClassLoader(path, ctx.getCodeCacheDir().getPath(), null, getClass().getClassLoader());
    }
}