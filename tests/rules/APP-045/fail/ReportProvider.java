package tw.example.trade.reports;

import android.content.ContentProvider;
import android.net.Uri;
import android.os.ParcelFileDescriptor;

import java.io.File;
import java.io.FileNotFoundException;

/** Serves monthly statements to the PDF viewer; the file name comes straight from the caller's URI. */
public class ReportProvider extends ContentProvider {
    @Override
    public ParcelFileDescriptor openFile(Uri uri, String mode) throws FileNotFoundException {
        File folder = new File(getContext().getFilesDir(), "statements");
        File file = new File(folder, uri.getLastPathSegment());
        return ParcelFileDescriptor.open(file, ParcelFileDescriptor.MODE_READ_ONLY);
    }

    @Override
    public boolean onCreate() {
        return true;
    }
}
