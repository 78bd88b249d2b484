package tw.example.securities;

final class Api {
    static final String BASE = "https://api.example-securities.com.tw/v3/";
    // GAP: the quote stream still uses a cleartext endpoint
    static final String QUOTES = "http://quote.example-securities.com.tw:8080/stream";
}
