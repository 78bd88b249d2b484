class Files {
    void init(WebView web) { web.getSettings().setAllowUniversalAccessFromFileURLs(true); }
}