package tw.example.trade.reports;

import android.content.ContentProvider;
import android.net.Uri;
import android.os.ParcelFileDescriptor;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;

/** Canonicalises the requested path and refuses anything outside the statements folder. */
public class ReportProvider extends ContentProvider {
    @Override
    public ParcelFileDescriptor openFile(Uri uri, String mode) throws FileNotFoundException {
        File folder = new File(getContext().getFilesDir(), "statements");
        try {
            File file = new File(folder, uri.getLastPathSegment());
            String path = file.getCanonicalPath();
            if (!path.startsWith(folder.getCanonicalPath() + File.separator)) {
                throw new FileNotFoundException("outside statements");
            }
            return ParcelFileDescriptor.open(new File(path), ParcelFileDescriptor.MODE_READ_ONLY);
        } catch (IOException e) {
            throw new FileNotFoundException(e.getMessage());
        }
    }

    @Override
    public boolean onCreate() {
        return true;
    }
}
