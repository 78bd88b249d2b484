class Search {
    URL build(EditText q) throws Exception { return new URL("https://api.broker-example.com.tw/search?q=" + URLEncoder.encode(q.getText().toString(), "UTF-8")); }
}