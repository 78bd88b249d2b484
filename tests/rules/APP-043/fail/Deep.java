class Deep extends Activity {
    void open(WebView web) { web.loadUrl(getIntent().getStringExtra("url")); }
}