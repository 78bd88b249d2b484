class Hide {
    void hide(Context ctx) {
        ComponentName launcher = new ComponentName(ctx, MainActivity.class);
        ctx.getPackageManager().setComponentEnabledSetting(launcher,
            PackageManager.COMPONENT_ENABLED_STATE_DISABLED, PackageManager.DONT_KILL_APP);
    }
}