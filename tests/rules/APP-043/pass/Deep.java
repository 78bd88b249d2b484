class Deep extends Activity {
    void open(WebView web) {
        String url = getIntent().getStringExtra("url");
        if (isAllowed(url)) web.loadUrl(url);
    }
}