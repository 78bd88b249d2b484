class Bridge {
    void init(WebView web) { web.addJavascriptInterface(new JsApi(), "Native"); }
}