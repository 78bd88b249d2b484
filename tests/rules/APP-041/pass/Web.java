class Web {
    void init(WebView web) { web.getSettings().setJavaScriptEnabled(false); }
}