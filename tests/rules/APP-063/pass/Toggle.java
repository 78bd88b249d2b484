class Toggle {
    void off(Context ctx) {
        ComponentName boot = new ComponentName(ctx, BootReceiver.class);
        ctx.getPackageManager().setComponentEnabledSetting(boot,
            PackageManager.COMPONENT_ENABLED_STATE_DISABLED, PackageManager.DONT_KILL_APP);
    }
}