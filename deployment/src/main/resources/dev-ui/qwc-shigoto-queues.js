import { LitElement, html, css } from 'lit';
import { JsonRpc } from 'jsonrpc';
import { notifier } from 'notifier';
import { columnBodyRenderer } from '@vaadin/grid/lit.js';
import '@vaadin/grid';
import '@vaadin/button';

/** The application's queues, with pause and resume. */
export class QwcShigotoQueues extends LitElement {
    jsonRpc = new JsonRpc(this);

    static styles = css`
        :host { display: flex; flex-direction: column; height: 100%; }
        vaadin-grid { height: 100%; }
    `;

    static properties = { _queues: { state: true } };

    connectedCallback() {
        super.connectedCallback();
        this._load();
    }

    _load() {
        this.jsonRpc.queues().then(r => { this._queues = r.result; });
    }

    render() {
        if (!this._queues) {
            return html`<span>Loading queues...</span>`;
        }
        return html`
            <vaadin-grid .items="${this._queues}" theme="row-stripes" all-rows-visible>
                <vaadin-grid-sort-column header="Queue" path="name" auto-width></vaadin-grid-sort-column>
                <vaadin-grid-column header="State" ${columnBodyRenderer(q => html`${q.paused ? 'paused' : 'running'}`, [])}></vaadin-grid-column>
                <vaadin-grid-column header="Concurrency" path="concurrency" auto-width></vaadin-grid-column>
                <vaadin-grid-column header="Live nodes" path="nodes" auto-width></vaadin-grid-column>
                <vaadin-grid-column header="" ${columnBodyRenderer(q => this._action(q), [])}></vaadin-grid-column>
            </vaadin-grid>`;
    }

    _action(q) {
        return q.paused
            ? html`<vaadin-button theme="small" class="resume" @click=${() => this._call('resumeQueue', q.name)}>Resume</vaadin-button>`
            : html`<vaadin-button theme="small" class="pause" @click=${() => this._call('pauseQueue', q.name)}>Pause</vaadin-button>`;
    }

    _call(method, queue) {
        this.jsonRpc[method]({ queue: queue }).then(r => {
            if (r.result.ok) {
                notifier.showInfoMessage(r.result.message);
            } else {
                notifier.showErrorMessage(r.result.error);
            }
            this._load();
        });
    }
}
customElements.define('qwc-shigoto-queues', QwcShigotoQueues);
