let web = WKWebView(frame: .zero)
web.isInspectable = true
