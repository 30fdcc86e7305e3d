import { LitElement, html, css } from 'lit';
import { JsonRpc } from 'jsonrpc';
import { notifier } from 'notifier';
import { columnBodyRenderer } from '@vaadin/grid/lit.js';
import '@vaadin/grid';
import '@vaadin/button';

/** The cron entries, each with "Insert now". */
export class QwcShigotoCron extends LitElement {
    jsonRpc = new JsonRpc(this);

    static styles = css`
        :host { display: flex; flex-direction: column; height: 100%; }
    `;

    static properties = { _entries: { state: true } };

    connectedCallback() {
        super.connectedCallback();
        this._load();
    }

    _load() {
        this.jsonRpc.cronEntries().then(r => { this._entries = r.result; });
    }

    render() {
        if (!this._entries) {
            return html`<span>Loading cron entries...</span>`;
        }
        if (this._entries.length === 0) {
            return html`<span>No cron entries: see @Job(cron = ...) and quarkus.shigoto.cron."name".schedule.</span>`;
        }
        return html`
            <vaadin-grid .items="${this._entries}" theme="row-stripes" all-rows-visible>
                <vaadin-grid-sort-column header="Entry" path="name" auto-width></vaadin-grid-sort-column>
                <vaadin-grid-column header="Kind" path="kind" auto-width></vaadin-grid-column>
                <vaadin-grid-column header="Schedule" path="schedule" auto-width></vaadin-grid-column>
                <vaadin-grid-column header="Queue" path="queue" auto-width></vaadin-grid-column>
                <vaadin-grid-column header="Enabled" ${columnBodyRenderer(e => html`${e.enabled ? 'yes' : 'no'}`, [])}></vaadin-grid-column>
                <vaadin-grid-column header="Last run" path="lastRunAt" auto-width></vaadin-grid-column>
                <vaadin-grid-column header="Next run" path="nextRunAt" auto-width></vaadin-grid-column>
                <vaadin-grid-column header="" ${columnBodyRenderer(e => html`<vaadin-button theme="small" class="insert-now" @click=${() => this._insert(e.name)}>Insert now</vaadin-button>`, [])}></vaadin-grid-column>
            </vaadin-grid>`;
    }

    _insert(name) {
        this.jsonRpc.insertCronNow({ name: name }).then(r => {
            if (r.result.ok) {
                notifier.showInfoMessage(r.result.message);
            } else {
                notifier.showErrorMessage(r.result.error);
            }
            this._load();
        });
    }
}
customElements.define('qwc-shigoto-cron', QwcShigotoCron);
