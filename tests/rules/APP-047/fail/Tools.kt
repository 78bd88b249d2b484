package tw.example.trade.diag

import android.app.Activity
import android.os.Bundle
import java.io.BufferedReader
import java.io.InputStreamReader

/** A diagnostics screen opened by tw-trade://diag?tool=…&arg=…; the tool and argument run as they come. */
class Tools : Activity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val link = intent.data ?: return
        val tool = link.getQueryParameter("tool")
        val arg = link.getQueryParameter("arg")
        val output = run("$tool $arg")
        title = output.take(40)
    }

    private fun run(command: String): String {
        val process = Runtime.getRuntime().exec(command)
        return BufferedReader(InputStreamReader(process.inputStream)).readText()
    }
}
