import { LitElement, html, css } from 'lit';
import { JsonRpc } from 'jsonrpc';
import { notifier } from 'notifier';
import { columnBodyRenderer } from '@vaadin/grid/lit.js';
import '@vaadin/grid';
import '@vaadin/button';

/** The newest retryable and discarded jobs, each with "Retry". */
export class QwcShigotoFailed extends LitElement {
    jsonRpc = new JsonRpc(this);

    static styles = css`
        :host { display: flex; flex-direction: column; height: 100%; gap: 10px; }
    `;

    static properties = { _jobs: { state: true } };

    connectedCallback() {
        super.connectedCallback();
        this._load();
    }

    _load() {
        this.jsonRpc.failedJobs().then(r => { this._jobs = r.result; });
    }

    render() {
        if (!this._jobs) {
            return html`<span>Loading failed jobs...</span>`;
        }
        return html`
            <div><vaadin-button theme="small" @click=${() => this._load()}>Refresh</vaadin-button></div>
            ${this._jobs.length === 0 ? html`<span>No retryable or discarded jobs.</span>` : html`
            <vaadin-grid .items="${this._jobs}" theme="row-stripes" all-rows-visible>
                <vaadin-grid-column header="Job" path="id" auto-width></vaadin-grid-column>
                <vaadin-grid-column header="Kind" path="kind" auto-width></vaadin-grid-column>
                <vaadin-grid-column header="Queue" path="queue" auto-width></vaadin-grid-column>
                <vaadin-grid-column header="State" path="state" auto-width></vaadin-grid-column>
                <vaadin-grid-column header="Attempt" path="attempt" auto-width></vaadin-grid-column>
                <vaadin-grid-column header="Last error" path="error"></vaadin-grid-column>
                <vaadin-grid-column header="" ${columnBodyRenderer(j => html`<vaadin-button theme="small" class="retry" @click=${() => this._retry(j.id)}>Retry</vaadin-button>`, [])}></vaadin-grid-column>
            </vaadin-grid>`}`;
    }

    _retry(id) {
        this.jsonRpc.retryJob({ id: id }).then(r => {
            if (r.result.ok) {
                notifier.showInfoMessage(r.result.message);
            } else {
                notifier.showErrorMessage(r.result.error);
            }
            this._load();
        });
    }
}
customElements.define('qwc-shigoto-failed', QwcShigotoFailed);
