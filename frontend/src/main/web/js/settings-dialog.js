// The settings panel: the user's two privacy settings (docs/protocol.md, Settings). A toggle takes effect here at
// once and goes to the server, which answers every device of the user with the settings as they now are.

const $ = (id) => document.getElementById(id);

// The checkbox of each setting.
const TOGGLES = { readReceipts: 'setting-read-receipts', showLastSeen: 'setting-last-seen' };

export class SettingsDialog {
  // app: {store() -> ChatStore, connection() -> ChatConnection}
  constructor(app) {
    this.app = app;
    this.dialog = $('settings-dialog');
  }

  wire(opener) {
    opener.addEventListener('click', () => {
      this.render();
      this.dialog.showModal();
      $(TOGGLES.readReceipts).focus();
    });
    $('settings-close').addEventListener('click', () => this.dialog.close());
    for (const [setting, id] of Object.entries(TOGGLES)) {
      $(id).addEventListener('change', () => {
        const change = { [setting]: $(id).checked };
        this.app.store().setSettings(change);
        this.app.connection().settings(change);
      });
    }
  }

  // Shows the settings as the store holds them (another device may change them).
  render() {
    const store = this.app.store();
    if (!store) {
      return;
    }
    for (const [setting, id] of Object.entries(TOGGLES)) {
      $(id).checked = store.settings[setting] !== false;
    }
  }
}
