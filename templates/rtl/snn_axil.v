// snn_axil: an AXI4-Lite slave in front of a register file with a fixed read latency.
//
// Writes: the address (AW) and the data (W) may arrive in either order or together; once
// both are in, one write strobe (`wr_en` with `wr_addr`, `wr_data`, `wr_strb`) and then the
// response (B, always OKAY), held until taken. No new write is accepted before it is.
// Reads: one at a time; `rd_en` with `rd_addr` for a clock, `rd_data` sampled READ_LATENCY
// clocks after that clock, then R (always OKAY) held until taken; no new read before.
// Reads and writes take turns, so the register file may share one address between them:
// no write strobe comes while a read waits for its data, and a write that is complete goes
// before the next read. Addresses are passed as they come (byte addresses).
`default_nettype none
module snn_axil #(
    parameter ADDR_W = 12,
    parameter READ_LATENCY = 1
) (
    input  wire              clk,
    input  wire              rst,
    input  wire [ADDR_W-1:0] s_axil_awaddr,
    input  wire              s_axil_awvalid,
    output wire              s_axil_awready,
    input  wire [31:0]       s_axil_wdata,
    input  wire [3:0]        s_axil_wstrb,
    input  wire              s_axil_wvalid,
    output wire              s_axil_wready,
    output wire [1:0]        s_axil_bresp,
    output reg               s_axil_bvalid,
    input  wire              s_axil_bready,
    input  wire [ADDR_W-1:0] s_axil_araddr,
    input  wire              s_axil_arvalid,
    output wire              s_axil_arready,
    output reg  [31:0]       s_axil_rdata,
    output wire [1:0]        s_axil_rresp,
    output reg               s_axil_rvalid,
    input  wire              s_axil_rready,
    output reg               wr_en,
    output reg  [ADDR_W-1:0] wr_addr,
    output reg  [31:0]       wr_data,
    output reg  [3:0]        wr_strb,
    output reg               rd_en,
    output reg  [ADDR_W-1:0] rd_addr,
    input  wire [31:0]       rd_data
);
    localparam OKAY = 2'b00;
    localparam WAIT_W = $clog2(READ_LATENCY + 1);
    assign s_axil_bresp = OKAY;
    assign s_axil_rresp = OKAY;

    // ------------------------------------------------------------------ writes
    reg aw_held, w_held;
    reg [ADDR_W-1:0] aw_addr;
    reg [31:0] w_data;
    reg [3:0] w_strb;
    assign s_axil_awready = !aw_held && !s_axil_bvalid;
    assign s_axil_wready = !w_held && !s_axil_bvalid;
    wire aw_fire = s_axil_awvalid && s_axil_awready;
    wire w_fire = s_axil_wvalid && s_axil_wready;
    reg reading;                      // a read waits for its data
    wire ar_fire;
    wire write_now = (aw_held || aw_fire) && (w_held || w_fire) && !reading && !ar_fire;

    initial begin
        aw_held = 1'b0;
        w_held = 1'b0;
        aw_addr = {ADDR_W{1'b0}};
        w_data = 32'd0;
        w_strb = 4'd0;
        s_axil_bvalid = 1'b0;
        wr_en = 1'b0;
        wr_addr = {ADDR_W{1'b0}};
        wr_data = 32'd0;
        wr_strb = 4'd0;
    end

    always @(posedge clk) begin
        wr_en <= 1'b0;
        if (rst) begin
            aw_held <= 1'b0;
            w_held <= 1'b0;
            s_axil_bvalid <= 1'b0;
        end else begin
            if (s_axil_bvalid && s_axil_bready) s_axil_bvalid <= 1'b0;
            if (write_now) begin
                wr_en <= 1'b1;
                wr_addr <= aw_held ? aw_addr : s_axil_awaddr;
                wr_data <= w_held ? w_data : s_axil_wdata;
                wr_strb <= w_held ? w_strb : s_axil_wstrb;
                aw_held <= 1'b0;
                w_held <= 1'b0;
                s_axil_bvalid <= 1'b1;
            end else begin
                if (aw_fire) begin
                    aw_held <= 1'b1;
                    aw_addr <= s_axil_awaddr;
                end
                if (w_fire) begin
                    w_held <= 1'b1;
                    w_data <= s_axil_wdata;
                    w_strb <= s_axil_wstrb;
                end
            end
        end
    end

    // ------------------------------------------------------------------ reads
    reg [WAIT_W-1:0] wait_left;       // clocks until rd_data holds the read's word
    assign s_axil_arready = !reading && !s_axil_rvalid && !(aw_held && w_held);
    assign ar_fire = s_axil_arvalid && s_axil_arready;

    initial begin
        reading = 1'b0;
        wait_left = {WAIT_W{1'b0}};
        s_axil_rvalid = 1'b0;
        s_axil_rdata = 32'd0;
        rd_en = 1'b0;
        rd_addr = {ADDR_W{1'b0}};
    end

    always @(posedge clk) begin
        rd_en <= 1'b0;
        if (rst) begin
            reading <= 1'b0;
            s_axil_rvalid <= 1'b0;
        end else begin
            if (s_axil_rvalid && s_axil_rready) s_axil_rvalid <= 1'b0;
            if (ar_fire) begin
                rd_en <= 1'b1;
                rd_addr <= s_axil_araddr;
                reading <= 1'b1;
                wait_left <= READ_LATENCY[WAIT_W-1:0];
            end else if (reading) begin
                if (wait_left == {WAIT_W{1'b0}}) begin
                    s_axil_rdata <= rd_data;
                    s_axil_rvalid <= 1'b1;
                    reading <= 1'b0;
                end else begin
                    wait_left <= wait_left - 1'b1;
                end
            end
        end
    end
endmodule
`default_nettype wire
