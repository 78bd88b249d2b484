class Api {
    static final String BASE = "http://api.broker-example.com.tw/v1/";
}