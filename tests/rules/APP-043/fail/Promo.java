package tw.example.trade.web;

import android.app.Activity;
import android.net.Uri;
import android.os.Bundle;
import android.webkit.WebView;

/** Opens tw-trade://promo?page=… links: the page parameter is loaded as it is. */
public class Promo extends Activity {
    private WebView web;

    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        web = new WebView(this);
        setContentView(web);
        show(getIntent().getData());
    }

    private void show(Uri link) {
        String page = link.getQueryParameter("page");
        web.loadUrl(page);
    }
}
