// snn_ram: a simple dual-port RAM with a registered (synchronous) read port.
// A write happens in every clock with `we` high; the read register moves when `en` is high
// (so a stalled reader keeps its data while a writer goes on). A read sees the writes of
// earlier clocks.
// STYLE is the storage the compiler chose: "block" (RAMB18/RAMB36), "distributed" (LUT RAM),
// or "registers" (one word).
`default_nettype none
module snn_ram #(
    parameter WIDTH = 8,
    parameter DEPTH = 16,
    parameter ADDR  = 4,
    parameter INIT  = "",         // $readmemh file, or "" for zeros
    /* verilator lint_off UNUSEDPARAM */
    parameter STYLE = "distributed"
    /* verilator lint_on UNUSEDPARAM */
) (
    input  wire             clk,
    input  wire             en,
    input  wire             we,
    input  wire [ADDR-1:0]  waddr,
    input  wire [WIDTH-1:0] wdata,
    input  wire [ADDR-1:0]  raddr,
    output reg  [WIDTH-1:0] rdata
);
    (* ram_style = STYLE *) reg [WIDTH-1:0] mem [0:DEPTH-1];
    integer i;
    initial begin
        // The file holds every word (zeroing first would hide it from synthesis tools).
        if (INIT != "") $readmemh(INIT, mem);
        else for (i = 0; i < DEPTH; i = i + 1) mem[i] = {WIDTH{1'b0}};
        rdata = {WIDTH{1'b0}};
    end
    always @(posedge clk) if (we) mem[waddr] <= wdata;
    // Addresses beyond the last word read zero (in simulation as in hardware; only a depth
    // short of 2^ADDR needs the test).
    generate
        if (DEPTH == (1 << ADDR)) begin : full
            always @(posedge clk) if (en) rdata <= mem[raddr];
        end else begin : partial
            localparam [ADDR:0] LIMIT = DEPTH[ADDR:0];
            always @(posedge clk) if (en) rdata <= {1'b0, raddr} < LIMIT ? mem[raddr] : {WIDTH{1'b0}};
        end
    endgenerate
endmodule
`default_nettype wire
