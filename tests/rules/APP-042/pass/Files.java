class Files {
    void init(WebView web) {
        web.getSettings().setAllowFileAccess(false);
        web.getSettings().setAllowUniversalAccessFromFileURLs(false);
    }
}